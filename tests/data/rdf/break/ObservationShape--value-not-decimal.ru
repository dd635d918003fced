# An observation whose value is a string.
DELETE { <https://w3id.org/policykb/scores/alpha-index-2025/observation/1> sdmx-measure:obsValue ?v }
INSERT { <https://w3id.org/policykb/scores/alpha-index-2025/observation/1> sdmx-measure:obsValue "high" }
WHERE { <https://w3id.org/policykb/scores/alpha-index-2025/observation/1> sdmx-measure:obsValue ?v }
