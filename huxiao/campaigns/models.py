"""Models of the 专项行动 app."""
