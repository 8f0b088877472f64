"""From filled workbooks to documents: the budget memo, the vendor notice, batch pre-fill and the
regional roll-up. Everything here starts from the model's results (`model.budget`), never from a
workbook's cached numbers, so a memo and an overview always say what the model says."""
