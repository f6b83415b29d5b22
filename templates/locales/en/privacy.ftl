## Account deletion and the privacy page (docs/PRIVACY.md).

error-revenue_left = Revenue is left on your account: pay it out or move it to your funds first.
error-funds_choice_required = Funds are left on your account: choose whether they go to the charity or to the platform.
error-invalid_funds_choice = The funds can go to the charity or to the platform only.
error-no_charity = This instance names no charity.
movement-account_closed = Account deleted: funds left given away
