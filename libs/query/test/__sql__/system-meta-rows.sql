SELECT * FROM "directus_fields" ORDER BY "collection", "sort" NULLS LAST, "id"
-- params: []

SELECT * FROM "directus_collections" ORDER BY "sort" NULLS LAST, "collection"
-- params: []

SELECT * FROM "directus_relations" ORDER BY "id"
-- params: []
