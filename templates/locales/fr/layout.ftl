## L’en-tête des pages : une barre compacte et un menu (templates/base.html)
nav-menu = Menu
nav-menu-label = Menu du compte
nav-group-reader = Soutenir
nav-group-creator = Créer
nav-group-account = Compte
nav-funds-budget = Fonds et budget
nav-earnings-payouts = Gains et versements
nav-my-sites = Mes sites
nav-vouchers = Bons

## Le tableau de bord : les premiers pas
start-title = Premiers pas
start-as-reader = Pour soutenir
start-as-creator = Pour être soutenu
start-verify = Vérifiez votre adresse e-mail
start-funds = Ajoutez des fonds (un bon ou une carte)
start-budget = Choisissez votre budget mensuel
start-thing = Ajoutez une page ou une œuvre à vous
start-site = Prouvez que votre site est à vous, pour que les pourboires vous parviennent
start-button = Collez le bouton sur votre site et recevez un premier pourboire
start-verification-sent = Nous avons envoyé un lien de vérification à { $email } le { $at }. Ouvrez-le pour confirmer votre adresse ; il vous permet aussi de demander des versements.
start-verification-none = Votre adresse { $email } n’est pas encore vérifiée. Demandez un lien pour la confirmer.
nav-signup-short = S’inscrire
settlement-error-said = Raison : { $error }

## Exports CSV
csv-status = Statut
csv-status-paid = payé
