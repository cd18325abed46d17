INSERT INTO "directus_relations" ("many_collection", "many_field", "sort_field") VALUES ($1, $2, $3)
-- params: ["comments","article",null]
