"""Models of the 周边与交通 app."""
