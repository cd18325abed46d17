WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "c1", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE EXISTS (SELECT 1
  FROM "comments" AS "t4"
  WHERE "t4"."article" = "t1"."id" AND lower("t4"."body") LIKE lower($2::text))
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $3) SELECT COALESCE(json_agg("y5"."v"
  ORDER BY "y5"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'comments', array_to_json(ARRAY(SELECT json_build_object(E'body', "t3"."body", E'created', date_trunc('second', "t3"."created"))
  FROM "comments" AS "t3"
  WHERE "t3"."article" = "x2"."c1"
  ORDER BY "t3"."id" ASC NULLS LAST
  LIMIT $1))) AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y5"
-- params: [100,"%nice%",100]
