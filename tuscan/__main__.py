from tuscan.cli import main

main(prog_name="tuscan")
