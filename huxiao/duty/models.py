"""Models of the 护学岗与巡逻 app."""
