import { describe, expect, it } from 'vitest';
import { ActiveJobs } from './active-jobs.ts';

describe('ActiveJobs', () => {
  it('routes a cancel to the job it names, and only while it is active', () => {
    const jobs = new ActiveJobs();
    const a = jobs.add('job_a');
    const b = jobs.add('job_b');
    expect(jobs.cancel('job_a')).toBe(true);
    expect(a.stopReason).toBe('cancel');
    expect(b.stopReason).toBeNull();
    jobs.delete('job_a', a);
    expect(jobs.cancel('job_a')).toBe(false);
    expect(jobs.size).toBe(1);
  });

  it('keeps the first stop reason: a cancelled job is not handed back, nor the reverse', () => {
    const jobs = new ActiveJobs();
    const a = jobs.add('job_a');
    const b = jobs.add('job_b');
    jobs.cancel('job_a');
    jobs.handBackAll();
    expect(a.stopReason).toBe('cancel');
    expect(b.stopReason).toBe('handback');
    jobs.cancel('job_b');
    expect(b.stopReason).toBe('handback');
  });

  it('hands back a job that starts after shutdown began', () => {
    const jobs = new ActiveJobs();
    jobs.handBackAll();
    expect(jobs.add('job_late').stopReason).toBe('handback');
  });

  it('does not let an old entry remove a newer one for the same job', () => {
    const jobs = new ActiveJobs();
    const first = jobs.add('job_a');
    const second = jobs.add('job_a');
    jobs.delete('job_a', first);
    expect(jobs.cancel('job_a')).toBe(true);
    expect(second.stopReason).toBe('cancel');
  });
});
