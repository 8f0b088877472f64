import sys

from workbook_builder.cli.main import main

sys.exit(main())
