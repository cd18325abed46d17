SELECT "articles_id" AS parent, max("sort") AS max
  FROM "articles_blocks"
  WHERE "articles_id" = ANY($1)
  GROUP BY 1
-- params: [[1,2]]
