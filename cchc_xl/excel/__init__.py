"""The Excel front end: the «Điều khiển» control sheet and xlwings' button."""
