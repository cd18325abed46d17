SELECT COALESCE(json_agg(json_build_object(E'countAll', "y1"."a0"::text, E'countDistinct', json_build_object(E'author', "y1"."a1"::text), E'min', json_build_object(E'rating', "y1"."a2"::text))), '[]'::json)::text AS "data", (SELECT count(*)
  FROM "articles" AS "t2")::int8 AS "filter_count"
  FROM (SELECT count(*) AS "a0", count(DISTINCT "t0"."author") AS "a1", min("t0"."rating") AS "a2"
  FROM "articles" AS "t0") AS "y1"
-- params: []
