import sys

from generator.finish.site import main

sys.exit(main())
