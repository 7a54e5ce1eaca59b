from socialvalue.cli import main

main()
