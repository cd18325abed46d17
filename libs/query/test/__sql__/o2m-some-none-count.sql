WITH "l0" AS (
  SELECT "t1"."id" AS "c0", ((SELECT count(*)
  FROM "comments" AS "t3"
  WHERE "t3"."article" = "t1"."id"))::text AS "c1", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE (NOT EXISTS (SELECT 1
  FROM "comments" AS "t4"
  WHERE "t4"."article" = "t1"."id" AND "t4"."body" = $1::text) AND (SELECT count(*)
  FROM "comments" AS "t5"
  WHERE "t5"."article" = "t1"."id") > $2::numeric)
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $3) SELECT COALESCE(json_agg("y6"."v"
  ORDER BY "y6"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'comments_count', "x2"."c1") AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y6"
-- params: ["x","1",100]
