from amurgeo.cli import main

main()
