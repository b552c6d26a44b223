"""Template tags of the inductee's journey."""
