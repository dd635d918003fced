# A place that is not a country of the EU authority.
INSERT DATA { <https://example.org/country/Chile> a dcterms:Location ; skos:notation "CL" .
              <https://w3id.org/policykb/report/beta-post> dcterms:spatial <https://example.org/country/Chile> }
