INSERT INTO "directus_collections" ("collection", "icon", "note", "sort_field") VALUES ($1, $2, $3, $4) ON CONFLICT ("collection") DO UPDATE SET "icon" = EXCLUDED."icon", "note" = EXCLUDED."note", "sort_field" = EXCLUDED."sort_field"
-- params: ["articles","box",null,"sort"]

INSERT INTO "directus_collections" ("collection") VALUES ($1) ON CONFLICT ("collection") DO NOTHING
-- params: ["articles"]
