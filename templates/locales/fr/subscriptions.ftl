# Abonnements (issue 22) : un contenu soutenu chaque mois pour le lecteur par le serveur.
error-already_subscribed = Vous êtes déjà abonné à ce contenu.
subs-box-title = Chaque mois
subs-explain = Abonnez-vous et Obole soutient ce contenu pour vous le premier jour de chaque mois où vous avez un budget. Vous pouvez annuler ce soutien pendant le mois, ou vous désabonner à tout moment.
subs-now-note = Vous abonner maintenant le soutient aussi ce mois-ci, si ce n’est pas déjà fait.
subs-subscribe = S’abonner
subs-unsubscribe = Se désabonner
subs-subscribed = Vous êtes abonné à ce contenu depuis le { $since }.
subs-done = C’est fait : Obole soutiendra ce contenu pour vous chaque mois.
subs-cancelled = Abonnement annulé. Le soutien de ce mois reste ; vous pouvez encore l’annuler.
subs-list-title = Mes abonnements
subs-list-none = Aucun abonnement pour l’instant. Abonnez-vous depuis la page d’un contenu : Obole le soutiendra pour vous chaque mois.
subs-since = depuis le { $date }
subs-via = par abonnement
subs-count = { $count ->
    [one] 1 abonné
   *[other] { $count } abonnés
}
mail-subscription_funds-subject = Vos abonnements n’ont pas été soutenus en { $month }
mail-subscription_funds-body = Vos fonds ({ $funds }) sont inférieurs à votre budget mensuel ({ $budget }) : Obole n’a donc pas soutenu vos abonnements en { $month }, et rien n’a été prélevé sur vos fonds.
mail-subscription_funds-what = Ajoutez des fonds ou baissez votre budget, puis soutenez ces contenus depuis leur page ; vos abonnements seront de nouveau soutenus le mois prochain.
