"""Models of the 月度统计表 app."""
