WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."site_name" AS "c1", "t1"."id" AS "s0"
  FROM "settings" AS "t1"
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $1) SELECT COALESCE((SELECT "y3"."v"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'site_name', "x2"."c1") AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y3"
  ORDER BY "y3"."s0" ASC NULLS LAST
  LIMIT 1)::text, $2::json::text) AS "data"
  FROM (SELECT 1) AS "one"
-- params: [1,"{\"id\":null,\"site_name\":\"Tessera\"}"]
