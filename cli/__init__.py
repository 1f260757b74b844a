"""The `shuangsuiji` command."""
