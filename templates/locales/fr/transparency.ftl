# Transparence : la tête d’arbre publiée d’un mois réglé et le reçu de chaque lecteur.
error-not_settled = Ce mois n’est pas encore réglé : rien n’est publié pour lui.
error-no_receipt = Rien ne vous a été prélevé ce mois-ci : il n’y a donc pas de reçu à votre nom.
