"""One module per sheet; each writes its sheet from the register and the model's results."""
