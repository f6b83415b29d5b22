# The idle month to charity (money rule 6)
error-invalid_unspent = Choose “keep” or “charity” for a month without clicks.
movement-idle_donation = Given to the charity: a month without clicks, as you chose
charity-unspent-legend = In a month when I click nothing
charity-unspent-keep = Keep my budget in my funds
charity-unspent-give = Give my budget to { $charity }
charity-unspent-explain = If you click nothing in a month, your budget (or your funds, if they hold less) goes to { $charity } when the month is settled. Like any change to your budget, this choice applies from next month; a paused budget gives nothing. Shares held for pages nobody proves in time also go to { $charity } instead of back to your funds.
charity-unspent-gone = You chose to give months without clicks to a charity, but this instance no longer names one: your budget stays in your funds.
contributions-donated = You clicked nothing this month. As you chose, { $amount } of your budget went to { $charity }.
mail-reader_statement-donated-intro = You clicked nothing in { $month }. As you chose, { $amount } of your budget went to { $charity }.
mail-reader_statement-donated-why = You can change this choice on your budget page at any time; it applies from the next month.
charity-operator-title = The charity
charity-operator-balance = Readers have given { $charity }:
charity-operator-balance-unnamed = Readers have given the charity this instance named before:
charity-operator-details = Send it to:
charity-operator-no-details = No payout details are set (OBOLE_CHARITY_PAYOUT_DETAILS).
charity-operator-how = Obole does not send this money itself: transfer it to the charity from the instance’s account. The balance is everything given since the start; recording a transfer in Obole is not possible yet.
