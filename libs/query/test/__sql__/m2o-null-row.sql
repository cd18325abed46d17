WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE EXISTS (SELECT 1
  FROM (SELECT 1) AS "one4"
  LEFT JOIN "authors" AS "t3" ON "t3"."id" = "t1"."author"
  WHERE "t3"."email" IS NULL)
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $1) SELECT COALESCE(json_agg("y5"."v"
  ORDER BY "y5"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0") AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y5"
-- params: [100]
