SELECT "collection", "action", "permissions", "validation", "presets", "fields", "policy"::text AS "policy"
           FROM "directus_permissions" WHERE "policy" = ANY($1::uuid[]) ORDER BY "id"
-- params: [["8c3a9e4e-0000-4000-8000-000000000003"]]
