"""What a Bob admin reads while connecting: the credential help texts and the guide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SERVICE_USER_ID_HELP = _(
    "The ID shown when the service user was created in Bob "
    "(Settings → Integrations → Automation → Service users)."
)
TOKEN_HELP = _(
    "The token shown next to the ID when the service user was created. Bob shows "
    "it only once; if it is lost, generate a new token for the service user."
)

GUIDES: dict[str, tuple[str, ...]] = {
    "en": (
        "Sign in to Bob as an admin. In the left menu open Settings → Integrations and "
        "choose the Automation category.",
        "Open “Service users”, add a new service user (for example “Kombo”) with a name "
        "and display name, and save.",
        "Bob now shows the service user’s ID and token. Copy both: the token is shown only once.",
        "Open Settings → Permission groups, create a group for service users and add the "
        "new service user to it (service users have no permissions until then).",
        "In the group’s People’s data permissions, allow viewing all employees’ categories "
        "that hold the fields listed above (at least “Basic info”; e.g. “Work”, "
        "“Lifecycle”, “Employment”, and “Personal” or “Address” only if those fields are "
        "requested), then save. "
        # Access rights: reference/people ("Select people by condition ... if you want also
        # inactive employees (remove the Lifecycle status equals Employed condition)").
        "Under “Whose data can members access?” (Access rights), choose “Select people by "
        "condition” and remove the condition “Lifecycle status equals Employed”, or include "
        "every lifecycle status (Hired, Employed, Leave, Terminated): with “Everyone”, Bob "
        "gives the service user active employees only. "
        # reference/time-off, reference/time-off-policies, reference/time-off-balance.
        "If absences or time-off balances are requested, also allow People’s data → Time off "
        "→ “See who’s out” and “See selected people’s time off and sick leave balances”, and "
        "Features → Time off → Settings → “Manage company’s time off settings” (it lists the "
        "policy types). "
        # reference/employee-tables, reference/get_people-id-salaries.
        "If employments and pay are requested, also allow “View selected employees’ Payroll "
        "section histories” (and the Employment and Work section histories for employment "
        "type and job title).",
        "Paste the service user ID and the token below.",
    ),
    "de": (
        "Melden Sie sich als Administrator bei Bob an. Öffnen Sie im linken Menü "
        "Settings → Integrations und wählen Sie die Kategorie „Automation“.",
        "Öffnen Sie „Service users“, legen Sie einen neuen Service-User an (zum Beispiel "
        "„Kombo“) mit Namen und Anzeigenamen und speichern Sie.",
        "Bob zeigt nun die ID und das Token des Service-Users an. Kopieren Sie beides: "
        "Das Token wird nur einmal angezeigt.",
        "Öffnen Sie Settings → Permission groups, erstellen Sie eine Gruppe für "
        "Service-User und fügen Sie den neuen Service-User hinzu (vorher hat er keinerlei "
        "Berechtigungen).",
        "Erlauben Sie in den „People’s data“-Berechtigungen der Gruppe das Ansehen der "
        "Kategorien aller Mitarbeitenden, die die oben aufgeführten Felder enthalten "
        "(mindestens „Basic info“; z. B. „Work“, „Lifecycle“, „Employment“ und „Personal“ "
        "oder „Address“ nur, wenn diese Felder angefragt sind), und speichern Sie. "
        "Wählen Sie unter „Whose data can members access?“ (Access rights) „Select people by "
        "condition“ und entfernen Sie die Bedingung „Lifecycle status equals Employed“, oder "
        "schließen Sie jeden Lifecycle-Status ein (Hired, Employed, Leave, Terminated): Mit "
        "„Everyone“ gibt Bob dem Service-User nur aktive Mitarbeitende. "
        "Wenn Abwesenheiten oder Abwesenheitskonten angefragt sind, erlauben Sie zusätzlich "
        "People’s data → Time off → „See who’s out“ und „See selected people’s time off and "
        "sick leave balances“ sowie Features → Time off → Settings → „Manage company’s time "
        "off settings“ (es listet die Abwesenheitsarten). "
        "Wenn Beschäftigungsverhältnisse und Vergütung angefragt sind, erlauben Sie auch "
        "„View selected employees’ Payroll section histories“ (und die Verläufe der "
        "Abschnitte „Employment“ und „Work“ für Beschäftigungsart und Berufsbezeichnung).",
        "Fügen Sie die Service-User-ID und das Token unten ein.",
    ),
    "fr": (
        "Connectez-vous à Bob en tant qu’administrateur. Dans le menu de gauche, ouvrez "
        "Settings → Integrations et choisissez la catégorie « Automation ».",
        "Ouvrez « Service users », ajoutez un nouvel utilisateur de service (par exemple "
        "« Kombo ») avec un nom et un nom d’affichage, puis enregistrez.",
        "Bob affiche alors l’ID et le jeton de l’utilisateur de service. Copiez les deux : "
        "le jeton n’est affiché qu’une seule fois.",
        "Ouvrez Settings → Permission groups, créez un groupe pour les utilisateurs de "
        "service et ajoutez-y le nouvel utilisateur de service (il n’a aucune autorisation "
        "avant cela).",
        "Dans les autorisations « People’s data » du groupe, autorisez la consultation des "
        "catégories de tous les employés qui contiennent les champs listés ci-dessus (au "
        "moins « Basic info » ; p. ex. « Work », « Lifecycle », « Employment », et "
        "« Personal » ou « Address » seulement si ces champs sont demandés), puis "
        "enregistrez. "
        "Sous « Whose data can members access ? » (Access rights), choisissez « Select people "
        "by condition » et supprimez la condition « Lifecycle status equals Employed », ou "
        "incluez chaque statut (Hired, Employed, Leave, Terminated) : avec « Everyone », Bob "
        "ne donne à l’utilisateur de service que les employés actifs. "
        "Si des absences ou des soldes de congés sont demandés, autorisez aussi People’s data "
        "→ Time off → « See who’s out » et « See selected people’s time off and sick leave "
        "balances », ainsi que Features → Time off → Settings → « Manage company’s time off "
        "settings » (il liste les types d’absence). "
        "Si les contrats et la rémunération sont demandés, autorisez aussi « View selected "
        "employees’ Payroll section histories » (et les historiques des sections "
        "« Employment » et « Work » pour le type de contrat et l’intitulé de poste).",
        "Collez l’ID de l’utilisateur de service et le jeton ci-dessous.",
    ),
    "it": (
        "Accedi a Bob come amministratore. Nel menu a sinistra apri Settings → "
        "Integrations e scegli la categoria «Automation».",
        "Apri «Service users», aggiungi un nuovo utente di servizio (ad esempio «Kombo») "
        "con nome e nome visualizzato e salva.",
        "Bob mostra ora l’ID e il token dell’utente di servizio. Copiali entrambi: il token "
        "viene mostrato una sola volta.",
        "Apri Settings → Permission groups, crea un gruppo per gli utenti di servizio e "
        "aggiungi il nuovo utente di servizio (finché non fa parte di un gruppo non ha "
        "alcuna autorizzazione).",
        "Nelle autorizzazioni «People’s data» del gruppo consenti la visualizzazione delle "
        "categorie di tutti i dipendenti che contengono i campi elencati sopra (almeno "
        "«Basic info»; ad es. «Work», «Lifecycle», «Employment», e «Personal» o «Address» "
        "solo se quei campi sono richiesti), poi salva. "
        "In «Whose data can members access?» (Access rights) scegli «Select people by "
        "condition» e rimuovi la condizione «Lifecycle status equals Employed», oppure "
        "includi ogni stato (Hired, Employed, Leave, Terminated): con «Everyone» Bob dà "
        "all’utente di servizio solo i dipendenti attivi. "
        "Se sono richieste assenze o saldi ferie, consenti anche People’s data → Time off → "
        "«See who’s out» e «See selected people’s time off and sick leave balances», e "
        "Features → Time off → Settings → «Manage company’s time off settings» (elenca i "
        "tipi di assenza). "
        "Se sono richiesti rapporti di lavoro e retribuzione, consenti anche «View selected "
        "employees’ Payroll section histories» (e gli storici delle sezioni «Employment» e "
        "«Work» per tipo di contratto e qualifica).",
        "Incolla qui sotto l’ID dell’utente di servizio e il token.",
    ),
    "es": (
        "Inicia sesión en Bob como administrador. En el menú de la izquierda abre "
        "Settings → Integrations y elige la categoría «Automation».",
        "Abre «Service users», añade un nuevo usuario de servicio (por ejemplo «Kombo») "
        "con un nombre y un nombre visible, y guarda.",
        "Bob muestra ahora el ID y el token del usuario de servicio. Cópialos ambos: el "
        "token solo se muestra una vez.",
        "Abre Settings → Permission groups, crea un grupo para usuarios de servicio y "
        "añade el nuevo usuario de servicio (hasta entonces no tiene ningún permiso).",
        "En los permisos «People’s data» del grupo, permite ver las categorías de todos "
        "los empleados que contienen los campos indicados arriba (al menos «Basic info»; "
        "p. ej. «Work», «Lifecycle», «Employment», y «Personal» o «Address» solo si se "
        "solicitan esos campos), y guarda. "
        "En «Whose data can members access?» (Access rights), elige «Select people by "
        "condition» y quita la condición «Lifecycle status equals Employed», o incluye todos "
        "los estados (Hired, Employed, Leave, Terminated): con «Everyone», Bob solo da al "
        "usuario de servicio los empleados activos. "
        "Si se solicitan ausencias o saldos de vacaciones, permite también People’s data → "
        "Time off → «See who’s out» y «See selected people’s time off and sick leave "
        "balances», y Features → Time off → Settings → «Manage company’s time off settings» "
        "(lista los tipos de ausencia). "
        "Si se solicitan contratos y salario, permite también «View selected employees’ "
        "Payroll section histories» (y los historiales de las secciones «Employment» y "
        "«Work» para el tipo de contrato y el puesto).",
        "Pega abajo el ID del usuario de servicio y el token.",
    ),
}
