"""The command line: click commands by area; the only place that prints."""
