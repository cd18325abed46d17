WITH "l0" AS (
  SELECT "t1"."id" AS "c0", (SELECT (SELECT "t4"."title"
  FROM "headings" AS "t4"
  WHERE "t3"."collection" = $1::text AND "t4"."id"::text = "t3"."item")
  FROM "articles_blocks" AS "t3"
  WHERE "t3"."articles_id" = "t1"."id"
  ORDER BY 1 ASC NULLS LAST
  LIMIT 1) AS "s0", "t1"."id" AS "s1"
  FROM "articles" AS "t1"
  ORDER BY "s0" ASC NULLS LAST, "s1" ASC NULLS LAST
  LIMIT $2) SELECT COALESCE(json_agg("y5"."v"
  ORDER BY "y5"."s0" ASC NULLS LAST, "y5"."s1" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0") AS "v", "x2"."s0", "x2"."s1"
  FROM "l0" AS "x2") AS "y5"
-- params: ["headings",100]
