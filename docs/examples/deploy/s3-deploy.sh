#!/bin/sh
# S3 + CloudFront. Serve the bucket through its website endpoint (so /blog/hi/ finds
# blog/hi/index.html). Chunks go first and are never deleted by the second sync, so pages
# still in caches keep working.
set -e
aws s3 website s3://BUCKET/ --index-document index.html --error-document 404.html
islandgen build --check
aws s3 sync dist/_islands/ s3://BUCKET/_islands/ --cache-control "public, max-age=31536000, immutable"
aws s3 sync dist/ s3://BUCKET/ --delete --exclude "_islands/*" --cache-control "public, max-age=0, must-revalidate"
aws cloudfront create-invalidation --distribution-id DIST_ID --paths "/*"
