"""Models of the 检查 app."""
