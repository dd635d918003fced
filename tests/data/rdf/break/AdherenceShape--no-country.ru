# An adherence statement that names no country.
DELETE { <https://w3id.org/policykb/report/gamma-instrument/adherence/2> pkb:adherent ?c }
WHERE { <https://w3id.org/policykb/report/gamma-instrument/adherence/2> pkb:adherent ?c }
