import sys

from heard_nlp.cli import main

sys.exit(main())
