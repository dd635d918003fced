# A publication that is both a review and a working paper.
INSERT DATA { <https://w3id.org/policykb/report/alpha-report> a pkb:WorkingPaper }
