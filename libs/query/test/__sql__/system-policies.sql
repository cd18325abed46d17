WITH RECURSIVE tree(id, parent, depth) AS (
         SELECT r."id", r."parent", 0 FROM "directus_roles" r WHERE r."id" = $2
         UNION ALL
         SELECT r."id", r."parent", t.depth + 1 FROM "directus_roles" r JOIN tree t ON r."id" = t.parent WHERE t.depth < 32
       ),
       access AS (
         SELECT a."policy", CASE WHEN a."user" IS NOT NULL THEN -1 ELSE coalesce(t.depth, -2) END AS rank, a."sort"
         FROM "directus_access" a
         LEFT JOIN tree t ON a."role" = t.id
         WHERE t.id IS NOT NULL
            OR ($1::uuid IS NOT NULL AND a."user" = $1::uuid)
            OR (NOT EXISTS (SELECT 1 FROM tree) AND a."role" IS NULL AND a."user" IS NULL)
       )
       SELECT (SELECT array_agg(id::text ORDER BY depth DESC) FROM tree) AS roles,
              (SELECT array_agg(x."policy"::text ORDER BY x.rank DESC, x."sort" NULLS LAST) FROM access x) AS policies,
              coalesce(bool_or(p."admin_access"), false) AS admin,
              coalesce(bool_or(p."app_access"), false) AS app
       FROM access x JOIN "directus_policies" p ON p."id" = x."policy"
-- params: ["8c3a9e4e-0000-4000-8000-000000000001","8c3a9e4e-0000-4000-8000-000000000002"]

WITH RECURSIVE tree(id, parent, depth) AS (
         SELECT r."id", r."parent", 0 FROM "directus_roles" r WHERE r."id" = $2
         UNION ALL
         SELECT r."id", r."parent", t.depth + 1 FROM "directus_roles" r JOIN tree t ON r."id" = t.parent WHERE t.depth < 32
       ),
       access AS (
         SELECT a."policy", CASE WHEN a."user" IS NOT NULL THEN -1 ELSE coalesce(t.depth, -2) END AS rank, a."sort"
         FROM "directus_access" a
         LEFT JOIN tree t ON a."role" = t.id
         WHERE t.id IS NOT NULL
            OR ($1::uuid IS NOT NULL AND a."user" = $1::uuid)
            OR (NOT EXISTS (SELECT 1 FROM tree) AND a."role" IS NULL AND a."user" IS NULL)
       )
       SELECT (SELECT array_agg(id::text ORDER BY depth DESC) FROM tree) AS roles,
              (SELECT array_agg(x."policy"::text ORDER BY x.rank DESC, x."sort" NULLS LAST) FROM access x) AS policies,
              coalesce(bool_or(p."admin_access"), false) AS admin,
              coalesce(bool_or(p."app_access"), false) AS app
       FROM access x JOIN "directus_policies" p ON p."id" = x."policy"
-- params: [null,null]
