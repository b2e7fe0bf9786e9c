import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

/**
 * epubcheck for many books in one JVM (one start-up instead of one per book).
 * Prints "<file> <fatals> <errors> <warnings>" per book, epubcheck's messages on stderr.
 */
public class EpubCheckAll {
    public static void main(String[] args) {
        for (String name : args) {
            DefaultReportImpl report = new DefaultReportImpl(name);
            new EpubCheck(new File(name), report).validate();
            System.out.println(name + " " + report.getFatalErrorCount() + " "
                + report.getErrorCount() + " " + report.getWarningCount());
        }
    }
}
