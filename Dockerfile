# One image for the API and the worker; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libopenblas-dev python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    TURBO_TELEMETRY_DISABLED=1 \
    NODE_ENV=production
COPY . .
# --include=dev: NODE_ENV=production would make npm ci omit them, and the service runs through tsx and builds
# with turbo, prisma and vite.
RUN npm ci --include=dev --no-audit --no-fund && npm run build
EXPOSE 3000
CMD ["npm", "run", "start:api"]
