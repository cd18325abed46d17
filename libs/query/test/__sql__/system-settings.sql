SELECT to_regclass('public.directus_settings') IS NOT NULL AS "settings",
              to_regclass('public.directus_files') IS NOT NULL AS "files"
-- params: []

SELECT row_to_json(s) AS "settings" FROM "directus_settings" s ORDER BY s."id" LIMIT 1
-- params: []

SELECT "id", "type" FROM "directus_files" WHERE "id"::text = $1
-- params: ["8c3a9e4e-0000-4000-8000-000000000004"]
