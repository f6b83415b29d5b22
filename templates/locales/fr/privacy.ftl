## Suppression du compte et page de confidentialité (docs/PRIVACY.md).

error-revenue_left = Il reste des revenus sur votre compte : faites-les verser ou placez-les d’abord dans vos fonds.
error-funds_choice_required = Il reste des fonds sur votre compte : choisissez s’ils vont à l’association ou à la plateforme.
error-invalid_funds_choice = Les fonds ne peuvent aller qu’à l’association ou à la plateforme.
error-no_charity = Cette instance ne nomme aucune association.
movement-account_closed = Compte supprimé : fonds restants donnés
