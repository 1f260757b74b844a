"""The `shuangsuiji` subcommands, one module per group; cli/main.py assembles them."""
