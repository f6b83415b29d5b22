# Subscriptions (issue 22): a thing clicked for a reader by the server every month.
error-already_subscribed = You already subscribe to this thing.
subs-box-title = Every month
subs-explain = Subscribe and Obole tips this thing for you on the first day of every month in which you have a budget. You can undo that tip during the month, or unsubscribe at any time.
subs-now-note = Subscribing now also tips it for this month, if you have not yet.
subs-subscribe = Subscribe
subs-unsubscribe = Unsubscribe
subs-subscribed = You subscribe to this thing since { $since }.
subs-done = Subscribed. Obole will tip this thing for you every month.
subs-cancelled = Subscription cancelled. This month’s tip stays; you can still undo it.
subs-list-title = My subscriptions
subs-list-none = No subscription yet. Subscribe from a thing’s page, and Obole tips it for you every month.
subs-since = since { $date }
subs-via = by subscription
subs-count = { $count ->
    [one] 1 subscriber
   *[other] { $count } subscribers
}
mail-subscription_funds-subject = Your subscriptions were not tipped in { $month }
mail-subscription_funds-body = Your funds ({ $funds }) are below your monthly budget ({ $budget }), so Obole did not tip your subscriptions in { $month }, and nothing was taken from your funds.
mail-subscription_funds-what = Add funds or lower your budget, then tip the things from their pages; your subscriptions will be tipped again next month.
