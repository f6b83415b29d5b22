# Le mois sans clic donné à une association (règle 6)
error-invalid_unspent = Choisissez « keep » ou « charity » pour un mois sans clic.
movement-idle_donation = Donné à l’association : un mois sans clic, comme vous l’avez choisi
charity-unspent-legend = Un mois où je ne clique sur rien
charity-unspent-keep = Garder mon budget dans mes fonds
charity-unspent-give = Donner mon budget à { $charity }
charity-unspent-explain = Si vous ne cliquez sur rien pendant un mois, votre budget (ou vos fonds, s’ils sont moindres) va à { $charity } quand le mois est réglé. Comme toute modification de votre budget, ce choix s’applique à partir du mois suivant ; un budget en pause ne donne rien. Les parts retenues pour des pages que personne ne prouve à temps vont aussi à { $charity } au lieu de revenir dans vos fonds.
charity-unspent-gone = Vous aviez choisi de donner les mois sans clic à une association, mais cette instance n’en nomme plus : votre budget reste dans vos fonds.
contributions-donated = Vous n’avez cliqué sur rien ce mois-ci. Comme vous l’avez choisi, { $amount } de votre budget sont allés à { $charity }.
mail-reader_statement-donated-intro = Vous n’avez cliqué sur rien en { $month }. Comme vous l’avez choisi, { $amount } de votre budget sont allés à { $charity }.
mail-reader_statement-donated-why = Vous pouvez changer ce choix à tout moment sur la page de votre budget ; il s’applique à partir du mois suivant.
charity-operator-title = L’association
charity-operator-balance = Les lecteurs ont donné à { $charity } :
charity-operator-balance-unnamed = Les lecteurs ont donné à l’association que cette instance nommait auparavant :
charity-operator-details = À verser à :
charity-operator-no-details = Aucune coordonnée de versement n’est définie (OBOLE_CHARITY_PAYOUT_DETAILS).
charity-operator-how = Obole n’envoie pas cet argent lui-même : virez-le à l’association depuis le compte de l’instance. Le solde est tout ce qui a été donné depuis le début ; enregistrer un virement dans Obole n’est pas encore possible.
