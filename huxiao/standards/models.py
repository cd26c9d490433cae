"""Models of the 三防标准 app."""
