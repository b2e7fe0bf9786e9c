from pressaudio.cli import main

main()
