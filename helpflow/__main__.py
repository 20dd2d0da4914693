import sys

from helpflow.cli import main

sys.exit(main())
