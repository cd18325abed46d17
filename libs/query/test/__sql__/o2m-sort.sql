WITH "l0" AS (
  SELECT "t1"."id" AS "c0", (SELECT "t3"."body"
  FROM "comments" AS "t3"
  WHERE "t3"."article" = "t1"."id"
  ORDER BY 1 DESC NULLS FIRST
  LIMIT 1) AS "s0", (SELECT (SELECT "t5"."title"
  FROM "articles" AS "t5"
  WHERE "t5"."id" = "t4"."article")
  FROM "comments" AS "t4"
  WHERE "t4"."article" = "t1"."id"
  ORDER BY 1 ASC NULLS LAST
  LIMIT 1) AS "s1", "t1"."id" AS "s2"
  FROM "articles" AS "t1"
  ORDER BY "s0" DESC NULLS FIRST, "s1" ASC NULLS LAST, "s2" ASC NULLS LAST
  LIMIT $1) SELECT COALESCE(json_agg("y6"."v"
  ORDER BY "y6"."s0" DESC NULLS FIRST, "y6"."s1" ASC NULLS LAST, "y6"."s2" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0") AS "v", "x2"."s0", "x2"."s1", "x2"."s2"
  FROM "l0" AS "x2") AS "y6"
-- params: [100]
