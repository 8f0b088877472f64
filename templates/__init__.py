"""The jinja2 templates of kj-budget (packaged so an installed wheel finds them)."""
