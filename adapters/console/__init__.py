"""The local console: the default way to try Followthrough without Slack or Discord."""
