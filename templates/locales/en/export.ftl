export-title = Your data
export-text = Download everything Obole holds about you: your account, every movement of your money, your clicks, things, sites and their proofs, payouts, card payments and the mails we sent you. One zip with a JSON file and the CSV files for a spreadsheet.
export-download = Download my data (zip)
export-api = Programs can fetch the same archive as JSON at /api/v1/me/export.
